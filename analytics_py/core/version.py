"""The one place the library's version is written; the wheel's metadata reads it from here."""

VERSION = "0.1.0"
