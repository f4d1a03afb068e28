; A decimal number literal that is an operand of a comparison or of arithmetic. Hexadecimal,
; octal and binary literals are bit patterns written on purpose and are left alone.
; check() in detect.py drops the well-known values and the exempt contexts.
(binary_expression left: [(decimal_integer_literal) (decimal_floating_point_literal)] @match)
(binary_expression right: [(decimal_integer_literal) (decimal_floating_point_literal)] @match)
