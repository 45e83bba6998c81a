using Microsoft.Extensions.DependencyInjection;
using Zones.Hosting;

namespace Zones.Tests.Core;

/// <summary>
/// How a handler's constructor is given its arguments (HandlerActivator, which replaced
/// ActivatorUtilities): the zone's options and ZoneInfo by type, services from DI, default values
/// for what neither has, and the longest constructor that can be satisfied.
/// </summary>
public sealed class HandlerActivatorTests
{
    private sealed class Clock { }

    private sealed class Options { }

    private static readonly ZoneInfo Zone = new(2, "/x", "mine", null, "zones.json");

    private static IServiceProvider Services(bool withClock = true)
    {
        var services = new ServiceCollection();
        if (withClock) services.AddSingleton<Clock>();
        return services.BuildServiceProvider();
    }

    private sealed class TakesAll(Options options, ZoneInfo zone, Clock clock)
    {
        public Options Options { get; } = options;
        public ZoneInfo Zone { get; } = zone;
        public Clock Clock { get; } = clock;
    }

    [Fact]
    public void Options_and_the_zone_go_by_type_and_services_come_from_DI()
    {
        var services = Services();
        var options = new Options();
        var made = HandlerActivator.Create<TakesAll>(services, options, Zone);
        Assert.Same(options, made.Options);
        Assert.Same(Zone, made.Zone);
        Assert.Same(services.GetRequiredService<Clock>(), made.Clock);
    }

    private sealed class TakesNothing;

    [Fact]
    public void Candidates_the_constructor_does_not_ask_for_are_left_out() =>
        Assert.NotNull(HandlerActivator.Create<TakesNothing>(Services(), new Options(), Zone));

    private sealed class OptionalClock(Clock? clock = null, int interval = 7)
    {
        public Clock? Clock { get; } = clock;
        public int Interval { get; } = interval;
    }

    [Fact]
    public void A_parameter_neither_given_nor_registered_takes_its_default()
    {
        var made = HandlerActivator.Create<OptionalClock>(Services(withClock: false), Zone);
        Assert.Null(made.Clock);
        Assert.Equal(7, made.Interval);
    }

    private sealed class TwoConstructors
    {
        public TwoConstructors(ZoneInfo zone) => Chosen = "zone";

        public TwoConstructors(ZoneInfo zone, Clock clock) => Chosen = "zone and clock";

        public string Chosen { get; }
    }

    [Fact]
    public void The_longest_constructor_that_can_be_satisfied_wins()
    {
        Assert.Equal("zone and clock", HandlerActivator.Create<TwoConstructors>(Services(), Zone).Chosen);
        Assert.Equal("zone", HandlerActivator.Create<TwoConstructors>(Services(withClock: false), Zone).Chosen);
    }

    private sealed class EqualLengths
    {
        public EqualLengths(ZoneInfo zone) => Chosen = "zone";

        public EqualLengths(Options options) => Chosen = "options";

        public string Chosen { get; }
    }

    [Fact]
    public void Of_constructors_of_equal_length_that_can_both_be_given_the_first_declared_wins()
        => Assert.Equal("zone", HandlerActivator.Create<EqualLengths>(Services(), new Options(), Zone).Chosen);

    private sealed class NeedsClock(Clock clock)
    {
        public Clock Clock { get; } = clock;
    }

    [Fact]
    public void A_service_nobody_registered_is_named_with_the_parameter_that_asked_for_it()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HandlerActivator.Create<NeedsClock>(Services(withClock: false), Zone));
        Assert.Contains(typeof(Clock).FullName!, e.Message);
        Assert.Contains(typeof(NeedsClock).FullName!, e.Message);
        Assert.Contains("\"clock\"", e.Message);
    }

    private sealed class Refuses
    {
        public Refuses(ZoneInfo zone) => throw new ArgumentException($"zone {zone.Index} is not for me");
    }

    [Fact]
    public void A_constructor_that_throws_throws_its_own_exception_not_a_wrapper()
    {
        var e = Assert.Throws<ArgumentException>(() => HandlerActivator.Create<Refuses>(Services(), Zone));
        Assert.Equal("zone 2 is not for me", e.Message);
    }

    private sealed class Marked
    {
        public Marked(ZoneInfo zone, Clock clock) => Chosen = "zone and clock";

        [ActivatorUtilitiesConstructor]
        public Marked(ZoneInfo zone) => Chosen = "zone";

        public string Chosen { get; }
    }

    [Fact]
    public void A_constructor_marked_ActivatorUtilitiesConstructor_wins_over_a_longer_one() =>
        Assert.Equal("zone", HandlerActivator.Create<Marked>(Services(), Zone).Chosen);

    private sealed class MarkedNeedsClock
    {
        [ActivatorUtilitiesConstructor]
        public MarkedNeedsClock(ZoneInfo zone, Clock clock) { }

        public MarkedNeedsClock(ZoneInfo zone) { }
    }

    [Fact]
    public void A_marked_constructor_that_cannot_be_given_is_an_error_not_a_fall_back_to_another()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HandlerActivator.Create<MarkedNeedsClock>(Services(withClock: false), Zone));
        Assert.Contains("\"clock\"", e.Message);
    }

    private sealed class MarkedTwice
    {
        [ActivatorUtilitiesConstructor]
        public MarkedTwice(ZoneInfo zone) { }

        [ActivatorUtilitiesConstructor]
        public MarkedTwice(Options options) { }
    }

    [Fact]
    public void Two_marked_constructors_are_an_error_that_says_to_mark_one()
    {
        var e = Assert.Throws<InvalidOperationException>(() => HandlerActivator.Create<MarkedTwice>(Services(), new Options(), Zone));
        Assert.Contains("mark one", e.Message);
        Assert.Contains(typeof(MarkedTwice).FullName!, e.Message);
    }
}
