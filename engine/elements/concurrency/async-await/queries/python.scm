; Suspension points: await, async for (statement or comprehension), async with.
; check() reports the enclosing async def.
(await) @match
(for_statement "async") @match
(for_in_clause "async") @match
(with_statement "async") @match
