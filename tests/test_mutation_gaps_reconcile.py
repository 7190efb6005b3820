"""Tests that kill mutants the fast set let live in reconcile (see docs/testing.md, Mutation testing)."""
