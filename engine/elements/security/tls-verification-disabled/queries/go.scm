; `tls.Config{InsecureSkipVerify: true}`: the client accepts any certificate for any host.
((keyed_element
  . (literal_element (_) @_key)
  . (literal_element (true))) @match
 (#eq? @_key "InsecureSkipVerify"))
