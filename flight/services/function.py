"""PUS service 8, function management: TC 8,1 performs one of the addressed app's commands.

Application data: function ID (u16, the command's `CODE`) then the command's arguments as
declared. The app's dispatcher decodes and range-checks them at acceptance, so a bad
argument is a 1,2 and the handler never runs.
"""

from flight.services.reader import AppDataReader
from flight.services.router import Action, Request

__all__ = ["FUNCTION_ID_OCTETS", "FunctionService"]

FUNCTION_ID_OCTETS = 2


class FunctionService:
    """Routes 8,1 to the addressed app's command handlers by function ID."""

    service = 8
    subtypes = frozenset({1})

    def accept(self, request: Request) -> Action:
        """Decode the function ID and arguments into the app's typed command."""
        reader = AppDataReader(request.tc.app_data)
        function_id = reader.uint(FUNCTION_ID_OCTETS)
        command, handler = request.app.dispatcher.decode(function_id, reader.rest())
        return lambda: handler(command)
