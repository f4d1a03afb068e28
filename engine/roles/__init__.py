"""Role recognizers shared by several design-pattern elements (pure functions of the model)."""
