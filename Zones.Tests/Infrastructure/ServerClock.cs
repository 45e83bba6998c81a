namespace Zones.Tests.Infrastructure;

/// <summary>
/// Elapsed time on the clock the server's deadlines and .NET's timers use: Environment.TickCount64,
/// a coarse monotonic clock in whole milliseconds (on Linux it moves with the scheduler tick).
/// Measured with a Stopwatch, a 500 ms timeout can seem to fire at 499 ms; measured on this clock
/// from before the server armed it, never. So "not before the timeout" is checked on this clock.
/// </summary>
public readonly struct ServerClock
{
    private readonly long _start;

    private ServerClock(long start) => _start = start;

    public static ServerClock StartNew() => new(Environment.TickCount64);

    public TimeSpan Elapsed => TimeSpan.FromMilliseconds(Environment.TickCount64 - _start);
}
