"""Sample click CLI packaged with Poetry 1.x style metadata."""
