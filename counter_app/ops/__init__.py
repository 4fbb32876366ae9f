"""The counter's operations, one module per area. Each module holds service functions taking an
`OpContext` (counter_app.context) and a `…Ops` mixin with the facade methods of API.md that
`counter_app.session.Session` inherits. Pattern of every operation (docs/architecture.md):

    ctx = self.ctx
    with ctx.uow() as s:            # one short transaction
        ... checks, approvals (ctx.approve), writes (ops.common.add_audited) ...
    # device I/O only OUTSIDE a unit of work; then a new unit of work records the result
"""
