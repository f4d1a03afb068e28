; Suspension points: await and for await. check() reports the enclosing async function.
(await_expression) @match
(for_in_statement "await") @match
