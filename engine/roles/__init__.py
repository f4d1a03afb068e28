"""Role recognizers shared by several design-pattern elements (pure functions over the code model)."""
