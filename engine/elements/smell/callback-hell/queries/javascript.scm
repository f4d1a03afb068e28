; A function passed as an argument; check() counts the callbacks around it.
(arguments [(arrow_function) (function_expression)] @match)
