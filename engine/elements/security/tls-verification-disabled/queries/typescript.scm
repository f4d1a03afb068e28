; An options object that turns certificate checks off: `{ rejectUnauthorized: false }`
; (https, tls, axios agents, ws) or the request library's `{ strictSSL: false }`.
((pair
  key: [(property_identifier) (string)] @_key
  value: (false)) @match
 (#match? @_key "^[\"']?(rejectUnauthorized|strictSSL)[\"']?$"))
