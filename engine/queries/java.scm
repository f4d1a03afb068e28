; Extraction query for Java. Capture names are the contract read by extract.py
; (documented in engine/queries/README.md). One pass of this query builds the code model.

; Classes, interfaces, enums, records
(class_declaration name: (identifier) @class.name) @class
(class_declaration name: (identifier) @class.name
  superclass: (superclass (_) @class.base)) @class
(class_declaration name: (identifier) @class.name
  interfaces: (super_interfaces (type_list (_) @class.base))) @class
(interface_declaration name: (identifier) @class.name) @class @class.kind
(interface_declaration name: (identifier) @class.name
  (extends_interfaces (type_list (_) @class.base))) @class @class.kind
(enum_declaration name: (identifier) @class.name) @class
(enum_declaration name: (identifier) @class.name
  interfaces: (super_interfaces (type_list (_) @class.base))) @class
(record_declaration name: (identifier) @class.name) @class
(record_declaration name: (identifier) @class.name
  interfaces: (super_interfaces (type_list (_) @class.base))) @class

(class_declaration (modifiers) @modifier) @modifier.of
(interface_declaration (modifiers) @modifier) @modifier.of
(enum_declaration (modifiers) @modifier) @modifier.of
(record_declaration (modifiers) @modifier) @modifier.of

; Methods, constructors, lambdas
(method_declaration name: (identifier) @function.name) @function
(constructor_declaration name: (identifier) @function.name) @function
(compact_constructor_declaration name: (identifier) @function.name) @function
(lambda_expression) @function

(method_declaration (modifiers) @modifier) @modifier.of
(constructor_declaration (modifiers) @modifier) @modifier.of

; Parameters
(formal_parameter name: (identifier) @param.name) @param
(spread_parameter (variable_declarator name: (identifier) @param.name)) @param
(lambda_expression parameters: (identifier) @param.name @param)
(inferred_parameters (identifier) @param.name @param)

; Fields: one match per declarator, modifiers say static / private
(field_declaration
  declarator: (variable_declarator name: (identifier) @field.name value: (_)? @field.value)) @field
(constant_declaration
  declarator: (variable_declarator name: (identifier) @field.name value: (_)? @field.value)) @field
(field_declaration (modifiers) @modifier) @modifier.of

; Calls: the callee spans from the object to the method name (`Runtime.getRuntime().exec`)
(method_invocation
  object: (_) @call.callee
  name: (identifier) @call.callee
  arguments: (argument_list)) @call
(method_invocation
  !object
  name: (identifier) @call.callee
  arguments: (argument_list)) @call
(object_creation_expression type: (_) @new.type arguments: (argument_list)) @new

; Bindings
(assignment_expression left: (_) @assign.target right: (_) @assign.value) @assign
(variable_declarator name: (identifier) @assign.target value: (_) @assign.value) @assign

; Control flow: nesting and branches
[(if_statement) (for_statement) (enhanced_for_statement) (while_statement) (do_statement)
 (switch_expression) (try_statement) (try_with_resources_statement)] @control
(if_statement alternative: (if_statement) @control.chain)
[(switch_label) (catch_clause) (ternary_expression)] @branch
(binary_expression operator: ["&&" "||"]) @branch

; Statements: the direct children of a body
(block (_) @statement)
(constructor_body (_) @statement)
(switch_block_statement_group
  [(expression_statement) (local_variable_declaration) (return_statement) (throw_statement)
   (if_statement) (for_statement) (enhanced_for_statement) (while_statement) (do_statement)
   (try_statement) (try_with_resources_statement) (break_statement) (continue_statement)
   (yield_statement) (block)] @statement)

(return_statement (_)? @return.value) @return

; Exception handlers
(catch_clause
  (catch_formal_parameter (catch_type) @handler.type)
  body: (block) @handler.body) @handler

; Imports
(import_declaration [(scoped_identifier) (identifier)] @import.module) @import
