; Extraction query for Go. Capture names are the contract read by extract.py
; (documented in engine/queries/README.md). One pass of this query builds the code model.

; Types: structs and interfaces are the classes; methods join them through their receiver
(type_spec name: (type_identifier) @class.name type: (struct_type) @class.kind) @class
(type_spec name: (type_identifier) @class.name type: (interface_type) @class.kind) @class
(type_spec
  name: (type_identifier) @class.name
  type: (struct_type (field_declaration_list
    (field_declaration !name type: [(type_identifier) (qualified_type)
                                    (pointer_type [(type_identifier) (qualified_type)])]
                       @class.base))) @class.kind) @class

; Functions, methods (receiver type name, pointer stripped), function literals
(function_declaration name: (identifier) @function.name) @function
(method_declaration
  receiver: (parameter_list
    (parameter_declaration
      type: [(type_identifier) @function.receiver
             (pointer_type (type_identifier) @function.receiver)
             (generic_type type: (type_identifier) @function.receiver)
             (pointer_type (generic_type type: (type_identifier) @function.receiver))]))
  name: (field_identifier) @function.name) @function
(func_literal) @function

; Parameters (the receiver is not one); several names in one declaration are several params
(function_declaration parameters: (parameter_list
  [(parameter_declaration name: (identifier) @param.name @param)
   (variadic_parameter_declaration name: (identifier) @param.name @param)]))
(method_declaration parameters: (parameter_list
  [(parameter_declaration name: (identifier) @param.name @param)
   (variadic_parameter_declaration name: (identifier) @param.name @param)]))
(func_literal parameters: (parameter_list
  [(parameter_declaration name: (identifier) @param.name @param)
   (variadic_parameter_declaration name: (identifier) @param.name @param)]))

; Struct fields (per instance)
(field_declaration_list (field_declaration name: (field_identifier) @field.name) @field)

; Calls (`exec.Command`, `db.Query`, `once.Do`)
(call_expression function: (_) @call.callee arguments: (argument_list)) @call
; Creations: `Config{...}` (also inside `&Config{...}`)
(composite_literal type: (_) @new.type body: (literal_value) @new.args) @new

; Bindings: the first target takes the first value (`rows, err := db.Query(q)` binds rows)
(short_var_declaration
  left: (expression_list . (_) @assign.target)
  right: (expression_list . (_) @assign.value)) @assign
(assignment_statement
  left: (expression_list . (_) @assign.target)
  right: (expression_list . (_) @assign.value)) @assign
(var_spec name: (identifier) @assign.target value: (expression_list . (_) @assign.value)) @assign
; A declared but unset variable is storage too (`var instance *Config`): its type is the value.
(var_spec name: (identifier) @assign.target type: (_) @assign.value !value) @assign
(const_spec name: (identifier) @assign.target value: (expression_list . (_) @assign.value)) @assign
; Keyed fields bind text only when they hold a string (`Config{Password: "..."}`).
(keyed_element
  key: (literal_element (identifier) @assign.target)
  value: (literal_element [(interpreted_string_literal) (raw_string_literal)] @assign.value)) @assign

; Control flow: nesting and branches
[(if_statement) (for_statement) (expression_switch_statement) (type_switch_statement)
 (select_statement)] @control
(if_statement alternative: (if_statement) @control.chain)
[(expression_case) (type_case) (communication_case)] @branch
(binary_expression operator: ["&&" "||"]) @branch

; Statements: the direct children of a body
(statement_list (_) @statement)

(return_statement (expression_list . (_) @return.value)?) @return

; Imports
(import_spec path: (_) @import.module) @import
