"""The kernel websocket's messages, checked before Jupyter Server reads (and logs) them.

Jupyter Server logs a message without a channel in full and a refused message type as sent;
a malformed frame raises (a traceback per message).  Here every incoming message is read
once, cheaply: it must name a known channel and one of the message types a Voilà page sends,
with a well-formed header; anything else is dropped and counted, and the count is logged once
when the websocket closes ("count instead of copy").  Jupyter Server then handles only messages
it would have passed on anyway.
"""

from __future__ import annotations

import json
from typing import Any

from jupyter_server.services.kernels.connection.channels import ZMQChannelsWebsocketConnection

from assess.hosting.visitors import short_id

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"
ALLOWED_MESSAGE_TYPES = frozenset(
    {
        "comm_open",
        "comm_close",
        "comm_msg",
        "comm_info_request",
        "kernel_info_request",
        "shutdown_request",
    }
)
CHANNELS = frozenset({"shell", "control", "stdin", "iopub"})


def message_kind(frame: str | bytes, *, binary_protocol: bool) -> tuple[str, str] | None:
    """(channel, message type) of a websocket frame from a page, or None if it is malformed.

    >>> message_kind('{"channel": "shell", "header": {"msg_id": "1", "msg_type": "comm_msg"}}',
    ...              binary_protocol=False)
    ('shell', 'comm_msg')
    >>> message_kind('{"header": {}}', binary_protocol=False) is None
    True
    """
    try:
        if binary_protocol:
            if not isinstance(frame, bytes) or len(frame) < 16:
                return None
            count = int.from_bytes(frame[:8], "little")
            if not 3 <= count <= 64 or len(frame) < 8 * (count + 1):
                return None
            offsets = [
                int.from_bytes(frame[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)
            ]
            if offsets != sorted(offsets) or offsets[-1] > len(frame):
                return None
            channel: Any = frame[offsets[0] : offsets[1]].decode("utf-8")
            header: Any = json.loads(frame[offsets[1] : offsets[2]])
        else:
            message = json.loads(frame)
            if not isinstance(message, dict):
                return None
            channel, header = message.get("channel"), message.get("header")
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(header, dict) or not isinstance(channel, str):
        return None
    msg_type = header.get("msg_type")
    if not isinstance(msg_type, str) or not isinstance(header.get("msg_id"), str):
        return None
    return channel, msg_type


class GuardedConnection(ZMQChannelsWebsocketConnection):
    """Jupyter Server's websocket connection, passing on only what a Voilà page sends."""

    dropped = 0

    def handle_incoming_message(self, incoming_msg: Any) -> None:
        kind = message_kind(incoming_msg, binary_protocol=self.subprotocol == V1_PROTOCOL)
        if kind is None or kind[0] not in CHANNELS or kind[1] not in ALLOWED_MESSAGE_TYPES:
            self.dropped += 1
            return
        try:
            super().handle_incoming_message(incoming_msg)
        except Exception:  # a frame that passed the check above but not Jupyter's reader
            self.dropped += 1

    def disconnect(self) -> Any:
        if self.dropped:
            self.log.warning(
                "Dropped %d message(s) a page would not send, on a websocket to kernel %s",
                self.dropped,
                short_id(self.kernel_id),
            )
            self.dropped = 0
        return super().disconnect()  # type: ignore[no-untyped-call]
