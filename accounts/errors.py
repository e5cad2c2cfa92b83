"""Domain errors with a stable English code and a Vietnamese message."""


class HosoError(Exception):
    code = "error"
    status = 400

    def __init__(self, message, code=None, detail=None, status=None):
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.code
        self.detail = detail
        if status is not None:
            self.status = status

    def as_dict(self):
        return {"code": self.code, "message": self.message, "detail": self.detail}
