"""Errors that carry a gRPC status code.

Code below the service layer raises these; the service layer turns them into
gRPC statuses in one place (``services/common.py``). Any other exception
becomes INTERNAL with a logged traceback and a generic message.
"""


class PerceptionError(Exception):
    """Base error; ``code`` is the name of a ``grpc.StatusCode`` member."""

    code = "INTERNAL"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class InvalidArgument(PerceptionError):
    code = "INVALID_ARGUMENT"


class FailedPrecondition(PerceptionError):
    code = "FAILED_PRECONDITION"


class ResourceExhausted(PerceptionError):
    code = "RESOURCE_EXHAUSTED"


class NotFound(PerceptionError):
    code = "NOT_FOUND"


class Unavailable(PerceptionError):
    code = "UNAVAILABLE"


class DeadlineExceeded(PerceptionError):
    code = "DEADLINE_EXCEEDED"


class Unimplemented(PerceptionError):
    code = "UNIMPLEMENTED"
