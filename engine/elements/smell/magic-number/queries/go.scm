; A number literal that is an operand of a comparison or of arithmetic.
; check() in detect.py drops the well-known values and the exempt contexts.
(binary_expression left: [(int_literal) (float_literal)] @match)
(binary_expression right: [(int_literal) (float_literal)] @match)
