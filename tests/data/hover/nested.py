def handle(a, b, c, d, e, f, g):
    for x in a:
        if x:
            for y in b:
                if y:
                    while c:
                        if d:
                            return e
    return f
