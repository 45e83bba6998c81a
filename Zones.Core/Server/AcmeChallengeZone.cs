using Zones.Acme;
using Zones.Pipeline;

namespace Zones.Server;

/// <summary>
/// Puts the http-01 zone first in whatever zone table is current — ahead of the site's zones,
/// so an httpsredirect or a catch-all can never hide a challenge. A reloaded table gets it too;
/// the combined table is made once per table, not per request.
/// </summary>
internal sealed class AcmeChallengeZone(AcmeChallenges challenges)
{
    private readonly Zone _zone = new(AcmeChallengeHandler.Prefix, new AcmeChallengeHandler(challenges), handlerName: "acme-challenge");
    private volatile Combined? _last;

    public ZoneTable Ahead(ZoneTable site)
    {
        var last = _last;
        if (last?.Site != site)
        {
            last = new Combined(site, new ZoneTable([_zone, .. site.Zones]));
            _last = last;
        }
        return last.Table;
    }

    private sealed record Combined(ZoneTable Site, ZoneTable Table);
}
