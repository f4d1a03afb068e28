; Comments that look like code at a glance: a name followed by a call, an index or an
; assignment, a line led by a keyword, or a line ending in `;`, `{` or `}`. check() in
; detect.py groups neighbouring line comments, drops prose and tool directives, and parses the
; text as code. Keep the pattern in step with _LOOKS_LIKE_CODE in detect.py.
((comment) @match
 (#match? @match "^(#|//|/\\*)\\s*([A-Za-z_$@][A-Za-z0-9_$.]*\\s*(\\(|\\[|=[^=]|\\+=|-=|:=|\\+\\+|--)|(import|from|return|def|class|if|for|while|elif|else|try|except|with|raise|throw|var|let|const|function|func|defer|go|package|new|public|private|protected|static)\\b)|[;{}]\\s*(\\*/)?$"))
