using Turn.Protocol;
using Turn.Relay.Methods;

namespace Turn.Relay.Requests;

/// <summary>
/// The last stage: an authenticated request with no unknown comprehension-required attribute
/// (else 420) goes to its method's handler.
/// </summary>
internal sealed class MethodDispatcher(ResponseWriter responses, AllocateHandler allocate, RefreshHandler refresh,
    CreatePermissionHandler createPermission, ChannelBindHandler channelBind)
{
    public void Dispatch(RequestContext context)
    {
        StunMessageReader.TryParse(context.Message, out var request);
        Span<ushort> unknown = stackalloc ushort[8];
        var unknownCount = request.GetUnknownComprehensionRequired(unknown);
        if (unknownCount > 0)
        {
            responses.SendUnknownAttributes(context, unknown[..unknownCount]);
            return;
        }
        switch (context.Method)
        {
            case StunMethod.Allocate:
                allocate.Handle(context, request);
                break;
            case StunMethod.Refresh:
                refresh.Handle(context, request);
                break;
            case StunMethod.CreatePermission:
                createPermission.Handle(context, request);
                break;
            case StunMethod.ChannelBind:
                channelBind.Handle(context, request);
                break;
        }
    }
}
