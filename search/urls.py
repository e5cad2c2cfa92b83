from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("search/saved", api.SavedQueryViewSet, basename="search-saved")

urlpatterns = [
    path("search/", api.SearchView.as_view(), name="api-search"),
    path("search/suggest/", api.SuggestView.as_view(), name="api-search-suggest"),
    path("search/export/", api.ExportView.as_view(), name="api-search-export"),
    path("public/search/", api.PublicSearchView.as_view(), name="api-public-search"),
    path("public/search/suggest/", api.PublicSuggestView.as_view(), name="api-public-search-suggest"),
    *router.urls,
]
