"""Which hosts the crawler may contact, decided on resolved addresses.

A host name is resolved once and the connection goes to the very address
that was checked, so DNS cannot answer "public" to the check and "private"
to the connect. Addresses that embed an IPv4 address (mapped, 6to4, NAT64)
are judged by the address they embed.
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Callable, Iterable, Sequence

from .errors import UrlRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]

# Not global, yet is_global says so on some Python versions (fixed in 3.12.4+).
_EXTRA_NON_GLOBAL = tuple(
    ipaddress.ip_network(n) for n in ("192.0.0.0/24", "192.88.99.0/24", "100.64.0.0/10", "64:ff9b:1::/48")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def kind_of(ip: IPAddress) -> str | None:
    """Why an address is not public ('loopback', 'private', ...), or None."""
    if isinstance(ip, ipaddress.IPv6Address) and (inner := _embedded_v4(ip)) is not None:
        return kind_of(inner)
    for name in ("loopback", "unspecified", "link_local", "multicast", "private", "reserved", "site_local"):
        if getattr(ip, f"is_{name}", False):
            return name.replace("_", "-")
    if not ip.is_global or any(ip in net for net in _EXTRA_NON_GLOBAL if net.version == ip.version):
        return "non-global"
    return None


def allowed_addresses(
    url: str,
    host: str,
    port: int,
    *,
    allow_private: bool,
    allowed_networks: Iterable[str] = (),
    resolver: Resolver = system_resolver,
) -> list[str]:
    """The addresses `host` resolves to, all of them checked; refuses the URL
    when any one may not be contacted."""
    try:
        found = [ipaddress.ip_address(a.split("%", 1)[0]) for a in resolver(host, port)]
    except (OSError, UnicodeError, ValueError) as exc:
        raise UrlRefused(url, f"cannot resolve host {host!r} ({exc})") from None
    if not found:
        raise UrlRefused(url, f"host {host!r} has no addresses")
    if allow_private:
        return [str(ip) for ip in found]
    exempt = [ipaddress.ip_network(n, strict=False) for n in allowed_networks]
    for ip in found:
        kind = kind_of(ip)
        if kind and not any(ip.version == net.version and ip in net for net in exempt):
            shown = "" if str(ip) == host else f" ({host} resolves to it)"
            raise UrlRefused(url, f"refused to contact {kind} address {ip}{shown}; pass --allow-private to allow it")
    return [str(ip) for ip in found]
