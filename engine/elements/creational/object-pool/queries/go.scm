; sync.Pool: the standard library's object pool, given a New function to make objects.
((composite_literal
   type: (qualified_type
     package: (package_identifier) @_package
     name: (type_identifier) @_type)) @match
 (#eq? @_package "sync")
 (#eq? @_type "Pool"))
