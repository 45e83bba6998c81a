using System.IO.Pipelines;
using Zones.Http;

namespace Zones.Server;

/// <summary>What a connection's request body reader needs of it: the input, the limits, 100 Continue and the read deadline.</summary>
internal sealed class BodyInput(PipeReader input, ServerLimits limits, Http1Output output, ConnectionDeadlines deadlines, ConnectionLifetime lifetime) : IRequestInput
{
    public PipeReader Input => input;

    public HttpLimits Limits => limits;

    public ValueTask SendContinueAsync() => output.WriteContinueAsync(lifetime.Aborted);

    public void ArmReadDeadline(TimeSpan allowed) => deadlines.ArmRead(allowed);

    public bool DisarmReadDeadline() => deadlines.DisarmRead();
}
