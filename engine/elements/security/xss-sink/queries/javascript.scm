; React's escape hatch: `<div dangerouslySetInnerHTML={{ __html: value }} />`.
((jsx_attribute
  (property_identifier) @_name
  (jsx_expression) @value) @match
 (#eq? @_name "dangerouslySetInnerHTML"))
