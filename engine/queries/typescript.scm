; Extraction query for TypeScript, also used for TSX. Capture names are the contract read by
; extract.py (documented in engine/queries/README.md). One pass of this query builds the model.
; Where a pattern names a function or class from its surroundings (`const f = () => {}`), it
; starts before the generic pattern and so its match comes first and gives the name.

; Classes, abstract classes, class expressions (named by their variable), interfaces
[(class_declaration name: (_) @class.name)
 (abstract_class_declaration name: (_) @class.name)] @class
[(class_declaration name: (_) @class.name
   (class_heritage (extends_clause value: (_) @class.base)))
 (abstract_class_declaration name: (_) @class.name
   (class_heritage (extends_clause value: (_) @class.base)))] @class
[(class_declaration name: (_) @class.name
   (class_heritage (implements_clause (_) @class.base)))
 (abstract_class_declaration name: (_) @class.name
   (class_heritage (implements_clause (_) @class.base)))] @class
(variable_declarator name: (identifier) @class.name value: (class) @class)
(variable_declarator name: (identifier) @class.name
  value: (class (class_heritage (extends_clause value: (_) @class.base))) @class)
(export_statement "default" @class.name value: (class !name) @class)
(class name: (_) @class.name) @class
(class name: (_) @class.name (class_heritage (extends_clause value: (_) @class.base))) @class
(interface_declaration name: (_) @class.name) @class @class.kind
(interface_declaration name: (_) @class.name
  (extends_type_clause type: (_) @class.base)) @class @class.kind

; Functions, methods, arrow functions, function expressions
(function_declaration name: (_) @function.name) @function
(generator_function_declaration name: (_) @function.name) @function
(method_definition name: (_) @function.name) @function
(abstract_method_signature name: (_) @function.name) @function
(method_signature name: (_) @function.name) @function
(variable_declarator name: (identifier) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(assignment_expression
  left: [(identifier) @function.name (member_expression property: (_) @function.name)]
  right: [(arrow_function) (function_expression) (generator_function)] @function)
(pair key: (_) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(public_field_definition name: (_) @function.name
  value: [(arrow_function) (function_expression) (generator_function)] @function)
(function_expression name: (_)? @function.name) @function
(generator_function name: (_)? @function.name) @function
(arrow_function) @function

(method_definition ["static" (accessibility_modifier)] @modifier) @modifier.of
(abstract_method_signature (accessibility_modifier) @modifier) @modifier.of
(public_field_definition ["static" (accessibility_modifier)] @modifier) @modifier.of

; Parameters
(required_parameter
  pattern: [(identifier) (this) (object_pattern) (array_pattern)] @param.name
  value: (_)? @param.default) @param
(required_parameter pattern: (rest_pattern (_) @param.name)) @param
(optional_parameter
  pattern: [(identifier) (this) (object_pattern) (array_pattern)] @param.name
  value: (_)? @param.default) @param
(arrow_function parameter: (identifier) @param.name @param)

; Class-level fields (`static` marks the class-level ones); instance fields also come from
; `this.x =` assignments. A field holding a function is a method (see Functions).
(public_field_definition name: (_) @field.name !value) @field
(public_field_definition name: (_) @field.name
  value: [(string) (template_string) (number) (true) (false) (null) (undefined) (regex)
          (identifier) (this) (member_expression) (subscript_expression) (object) (array)
          (new_expression) (call_expression) (binary_expression) (unary_expression)
          (ternary_expression) (await_expression) (parenthesized_expression) (class)
          (as_expression) (satisfies_expression) (non_null_expression)]
          @field.value) @field

; Calls
;  `await f<T>(x)` parses as a call of `await f`: the callee is what is awaited
(call_expression function: (_) @call.callee arguments: (_)
  (#not-match? @call.callee "^await[\\s(]")) @call
(call_expression function: (await_expression (_) @call.callee) arguments: (_)) @call
(new_expression constructor: (_) @new.type) @new

; Bindings; an object's `key: "text"` binds text to a name too (`{password: "..."}`)
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(variable_declarator name: (_) @assign.target value: (_) @assign.value) @assign
(pair key: (_) @assign.target value: [(string) (template_string)] @assign.value) @assign
; A field initializer binds its value too (`static shared = new X()`, `apiKey = "..."`)
(public_field_definition name: (_) @assign.target value: (_) @assign.value) @assign

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

; Exception handlers: a catch clause catches everything (a type annotation cannot narrow it)
(catch_clause body: (statement_block) @handler.body) @handler

; Imports
(import_statement source: (string) @import.module) @import
(call_expression
  function: (identifier) @_require
  arguments: (arguments . (string) @import.module .)
  (#eq? @_require "require")) @import
