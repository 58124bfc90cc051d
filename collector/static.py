"""Static files served as a CDN would: precompressed variants by Accept-Encoding, and
immutable caching for the content-hashed runtime (``rt/<hash>/``)."""

from __future__ import annotations

import mimetypes
import os

from starlette.datastructures import Headers
from starlette.responses import FileResponse, Response
from starlette.staticfiles import NotModifiedResponse, PathLike, StaticFiles
from starlette.types import Scope

mimetypes.add_type("text/javascript", ".mjs")
mimetypes.add_type("application/wasm", ".wasm")

# Content-Encoding token -> the suffix build.py gives that variant, best first.
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def accepted(header: str) -> set[str]:
    """The codings an Accept-Encoding header allows (q=0 refuses one)."""
    tokens = set()
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        if params.strip().replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            tokens.add(name.strip().lower())
    return tokens


class PrecompressedFiles(StaticFiles):
    """StaticFiles that answers with ``file.br`` / ``file.gz`` when the client accepts it.

    Files under ``immutable_prefix`` (relative to the folder) are sent as cacheable forever:
    their folder name changes whenever their content does.
    """

    def __init__(self, *, directory: PathLike, html: bool = False, immutable_prefix: str | None = None) -> None:
        super().__init__(directory=directory, html=html)
        self.immutable_prefix = immutable_prefix

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        request_headers = Headers(scope=scope)
        media_type = mimetypes.guess_type(str(full_path))[0] or "application/octet-stream"
        headers = {"cache-control": self._cache_control(scope)}
        path, stat = full_path, stat_result
        variant = self._variant(str(full_path), accepted(request_headers.get("accept-encoding", "")))
        if variant is not None:
            coding, path = variant
            stat = os.stat(path)
            headers["content-encoding"] = coding
        if any(os.path.exists(f"{full_path}{suffix}") for _, suffix in ENCODINGS):
            headers["vary"] = "Accept-Encoding"
        response = FileResponse(path, status_code=status_code, stat_result=stat, media_type=media_type,
                                headers=headers)
        if self.is_not_modified(response.headers, request_headers):
            return NotModifiedResponse(response.headers)
        return response

    def _cache_control(self, scope: Scope) -> str:
        route = self.get_path(scope).replace(os.sep, "/")
        if self.immutable_prefix and route.startswith(self.immutable_prefix):
            return IMMUTABLE
        return REVALIDATE

    @staticmethod
    def _variant(full_path: str, codings: set[str]) -> tuple[str, str] | None:
        for coding, suffix in ENCODINGS:
            if coding in codings and os.path.exists(full_path + suffix):
                return coding, full_path + suffix
        return None
