"""Repairs of fields and bodies: small named functions plus a registry per concern."""
