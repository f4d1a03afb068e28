; Extraction query for Python. Capture names are the contract read by extract.py
; (documented in engine/queries/README.md). One pass of this query builds the code model.

; Classes
(class_definition
  name: (identifier) @class.name
  superclasses: (argument_list [(identifier) (attribute)]* @class.base)?) @class

(decorated_definition (decorator) @modifier definition: (_) @modifier.of)

; Functions, methods, lambdas
(function_definition
  name: (identifier) @function.name
  body: (block)) @function

(lambda) @function

; Parameters
(parameters
 [
  (identifier) @param.name
  (typed_parameter . (identifier) @param.name)
  (default_parameter name: (identifier) @param.name value: (_) @param.default)
  (typed_default_parameter name: (identifier) @param.name value: (_) @param.default)
  (list_splat_pattern (identifier) @param.name)
  (dictionary_splat_pattern (identifier) @param.name)
 ] @param)
(lambda_parameters
 [
  (identifier) @param.name
  (typed_parameter . (identifier) @param.name)
  (default_parameter name: (identifier) @param.name value: (_) @param.default)
  (typed_default_parameter name: (identifier) @param.name value: (_) @param.default)
  (list_splat_pattern (identifier) @param.name)
  (dictionary_splat_pattern (identifier) @param.name)
 ] @param)

; Class-level fields (static), instance fields come from self.x assignments
(class_definition
  body: (block
    (expression_statement
      (assignment left: (identifier) @field.name right: (_)? @field.value) @field)))

; Calls
(call function: (_) @call.callee arguments: (_)) @call

; Bindings
(assignment left: (_) @assign.target right: (_) @assign.value) @assign
(augmented_assignment left: (_) @assign.target right: (_) @assign.value) @assign
; Keyword arguments matter only when they bind text (password="..."): keeps matches few.
(keyword_argument name: (identifier) @assign.target
  value: [(string) (concatenated_string)] @assign.value) @assign

; Control flow: nesting and branches
[(if_statement) (for_statement) (while_statement) (try_statement) (with_statement)
 (match_statement)] @control
[(elif_clause) (case_clause) (except_clause) (conditional_expression) (boolean_operator)
 (for_in_clause) (if_clause)] @branch

; Statements: the direct children of a body
(block (_) @statement)

(return_statement (_)? @return.value) @return

; Exception handlers
(except_clause
  . [(identifier) (attribute) (tuple) (as_pattern)]? @handler.type
  (block) @handler.body) @handler

; Imports
(import_statement name: [(dotted_name) @import.module (aliased_import name: (dotted_name) @import.module)]) @import
(import_from_statement module_name: (_) @import.module) @import
