"""Tests that kill mutants the fast set let live in quartz (see docs/testing.md, Mutation testing)."""
