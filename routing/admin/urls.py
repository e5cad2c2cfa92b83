"""URLs of the routing staff pages, under /admin/routing/ (namespace "routing")."""

from django.urls import path

from . import items, keys, leaders, reports, worklist

urlpatterns = [
    path("", worklist.QueueView.as_view(), name="queue"),
    path("incoming/", worklist.IncomingListView.as_view(), name="incoming_list"),
    path("incoming/<int:pk>/", items.IncomingView.as_view(), name="incoming"),
    path("incoming/<int:pk>/<slug:action>/", items.IncomingView.as_view(), name="incoming_action"),
    path("outgoing/", worklist.OutgoingListView.as_view(), name="outgoing_list"),
    path("outgoing/<int:pk>/", items.OutgoingView.as_view(), name="outgoing"),
    path("outgoing/<int:pk>/<slug:action>/", items.OutgoingView.as_view(), name="outgoing_action"),
    path("dashboard/", leaders.DashboardView.as_view(), name="dashboard"),
    path("delegations/", leaders.DelegationsView.as_view(), name="delegations"),
    path("delegations/<int:pk>/revoke/", leaders.RevokeDelegationView.as_view(), name="delegation_revoke"),
    path("registers/", reports.RegistersView.as_view(), name="registers"),
    path("registers/<int:pk>/", reports.RegisterReportView.as_view(), name="register_report"),
    path("reports/handling/", reports.HandlingReportView.as_view(), name="handling_report"),
    path("keys/", keys.SigningKeysView.as_view(), name="keys"),
]
