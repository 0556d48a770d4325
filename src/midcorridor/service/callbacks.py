"""The callback address guard: webhooks go only to public http(s) addresses.

A subscription's ``callback_url`` is checked when it is registered and again at every delivery
(:func:`post_callback`), because a host name may resolve to another address later (DNS
rebinding). The delivery then connects to the very address that was checked: the URL is pinned
to it, with the original ``Host`` header and TLS server name, so a second lookup cannot swap it.

Refused: schemes other than http and https, and any address that is not public — loopback,
private (RFC 1918, unique local), link-local (169.254.0.0/16, where cloud metadata services
answer), shared (100.64.0.0/10), multicast, reserved and unspecified. A setting
(``MIDCORRIDOR_CALLBACK_ALLOW_LOOPBACK``) admits loopback for tests and for receivers on the
same machine; nothing admits the others.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpx

from midcorridor.errors import InputError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class CallbackRefused(InputError):
    """A callback URL is not an http(s) URL of a public address."""


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise CallbackRefused(f"callback_url: host {host!r} cannot be resolved ({exc})") from None
    return [str(info[4][0]) for info in infos]


def refusal(address: Address, *, allow_loopback: bool) -> str | None:
    """Why ``address`` may not receive callbacks, or None if it may."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return None if allow_loopback else "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.is_unspecified or address.is_multicast or address.is_reserved:
        return "not a unicast address"
    if address.is_private or not address.is_global:
        return "a private address"
    return None


@dataclass(frozen=True)
class Target:
    """A checked callback: the URL pinned to a checked address, and how to present the host."""

    url: str
    host: str
    address: str
    tls_server_name: str | None


def check(url: str, *, allow_loopback: bool, resolve: Resolver = _resolve) -> Target:
    """Check ``url`` and pin it to its first address; raise :class:`CallbackRefused` if any
    address it resolves to may not receive callbacks.
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise CallbackRefused(f"callback_url: not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise CallbackRefused("callback_url: only http:// and https:// URLs are allowed")
    host = parts.hostname
    if not host:
        raise CallbackRefused("callback_url: the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise CallbackRefused("callback_url: credentials in the URL are not allowed; "
                              "deliveries are signed with the subscription secret")
    port = port or (443 if parts.scheme == "https" else 80)
    addresses = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolve(host, port)]
    if not addresses:
        raise CallbackRefused(f"callback_url: host {host!r} has no address")
    for address in addresses:
        reason = refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise CallbackRefused(
                f"callback_url: {host} resolves to {address}, {reason}; callbacks go only "
                "to public addresses")
    return _pinned(parts, host, port, addresses[0])


def _pinned(parts: SplitResult, host: str, port: int, address: Address) -> Target:
    literal = f"[{address}]" if address.version == 6 else str(address)
    default = port == (443 if parts.scheme == "https" else 80)
    netloc = literal if default and parts.port is None else f"{literal}:{port}"
    host_header = parts.netloc.rsplit("@", 1)[-1]
    url = urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, ""))
    is_name = host != str(address) and host.strip("[]") != str(address)
    return Target(url=url, host=host_header, address=str(address),
                  tls_server_name=host if parts.scheme == "https" and is_name else None)


def post_callback(
    client: httpx.Client,
    url: str,
    *,
    content: bytes,
    headers: Mapping[str, str],
    allow_loopback: bool,
    resolve: Resolver = _resolve,
) -> httpx.Response:
    """POST ``content`` to a callback URL, checked now and pinned to the checked address.

    Raises :class:`CallbackRefused` (nothing is sent) if the URL may not receive callbacks.
    Redirects are never followed.
    """
    target = check(url, allow_loopback=allow_loopback, resolve=resolve)
    extensions: dict[str, Any] = {}
    if target.tls_server_name is not None:
        extensions["sni_hostname"] = target.tls_server_name
    return client.post(target.url, content=content, headers={**headers, "Host": target.host},
                       extensions=extensions, follow_redirects=False)
