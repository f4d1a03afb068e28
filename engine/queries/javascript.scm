; Extraction query for JavaScript (and JSX). Capture names are the contract read by extract.py
; (documented in engine/queries/README.md). One pass of this query builds the code model.
; Where a pattern names a function or class from its surroundings (`const f = () => {}`), it
; starts before the generic pattern and so its match comes first and gives the name.

; Classes: declarations, class expressions (named by the variable that holds them)
(class_declaration name: (_) @class.name) @class
(class_declaration name: (_) @class.name (class_heritage (_) @class.base)) @class
(variable_declarator name: (identifier) @class.name value: (class) @class)
(variable_declarator name: (identifier) @class.name
  value: (class (class_heritage (_) @class.base)) @class)
(export_statement "default" @class.name value: (class !name) @class)
(class name: (_) @class.name) @class
(class name: (_) @class.name (class_heritage (_) @class.base)) @class

; Functions, methods, arrow functions, function expressions
(function_declaration name: (_) @function.name) @function
(generator_function_declaration name: (_) @function.name) @function
(method_definition name: (_) @function.name) @function
(variable_declarator name: (identifier) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(assignment_expression
  left: [(identifier) @function.name (member_expression property: (_) @function.name)]
  right: [(arrow_function) (function_expression) (generator_function)] @function)
(pair key: (_) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(field_definition property: (_) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(function_expression name: (_)? @function.name) @function
(generator_function name: (_)? @function.name) @function
(arrow_function) @function

(method_definition "static" @modifier) @modifier.of
(field_definition "static" @modifier) @modifier.of

; Parameters
(formal_parameters
 [
  (identifier) @param.name
  (assignment_pattern left: (_) @param.name right: (_) @param.default)
  (rest_pattern (_) @param.name)
  (object_pattern) @param.name
  (array_pattern) @param.name
 ] @param)
(arrow_function parameter: (identifier) @param.name @param)

; Class-level fields (`static` marks the class-level ones); instance fields also come from
; `this.x =` assignments
;  A field holding a function is a method (see Functions), not a field.
(field_definition property: (_) @field.name !value) @field
(field_definition property: (_) @field.name
  value: [(string) (template_string) (number) (true) (false) (null) (undefined) (regex)
          (identifier) (this) (member_expression) (subscript_expression) (object) (array)
          (new_expression) (call_expression) (binary_expression) (unary_expression)
          (ternary_expression) (await_expression) (parenthesized_expression) (class)]
          @field.value) @field

; Calls
(call_expression function: (_) @call.callee arguments: (_)) @call
(new_expression constructor: (_) @new.type) @new

; Bindings; an object's `key: "text"` binds text to a name too (`{password: "..."}`)
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(variable_declarator name: (_) @assign.target value: (_) @assign.value) @assign
(pair key: (_) @assign.target value: [(string) (template_string)] @assign.value) @assign
; A field initializer binds its value too (`static shared = new X()`, `apiKey = "..."`)
(field_definition property: (_) @assign.target value: (_) @assign.value) @assign

; Control flow: nesting and branches
[(if_statement) (for_statement) (for_in_statement) (while_statement) (do_statement)
 (switch_statement) (try_statement)] @control
(else_clause (if_statement) @control.chain)
[(switch_case) (catch_clause) (ternary_expression)] @branch
(binary_expression operator: ["&&" "||"]) @branch

; Statements: the direct children of a body
(statement_block (_) @statement)
(switch_case body: (_) @statement)
(switch_default body: (_) @statement)

(return_statement (_)? @return.value) @return
; An arrow function with an expression body returns it
(arrow_function body: (expression) @return.value @return)

; Exception handlers: JavaScript catches everything, so there is never a type
(catch_clause body: (statement_block) @handler.body) @handler

; Imports
(import_statement source: (string) @import.module) @import
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string) @import.module .)
  (#eq? @_require "require")) @import
