using Zones.Server;
using Zones.Tests.Infrastructure;

namespace Zones.Tests.Server;

/// <summary>How the accept loop waits and logs through a burst of failed accepts.</summary>
public sealed class AcceptFailuresTests
{
    [Fact]
    public void Consecutive_failures_wait_from_5_ms_doubling_to_a_second_and_a_success_starts_again_at_5_ms()
    {
        var failures = new AcceptFailures(() => 0);
        var waits = Enumerable.Range(0, 10).Select(_ => { failures.Failed(out var wait, out _); return wait.TotalMilliseconds; }).ToList();
        Assert.Equal([5, 10, 20, 40, 80, 160, 320, 640, 1000, 1000], waits);

        failures.Succeeded();
        failures.Failed(out var afterSuccess, out _);
        Assert.Equal(5, afterSuccess.TotalMilliseconds);
    }

    [Fact]
    public void Failures_are_logged_at_most_once_a_minute_with_the_count_left_unlogged()
    {
        var now = 1_000L;
        var failures = new AcceptFailures(() => now);
        Assert.True(failures.Failed(out _, out var unlogged)); // the first is always logged
        Assert.Equal(0, unlogged);

        // Bursts that begin and end within the minute (the backlog taking each freed descriptor)
        // are counted, whatever succeeds between them.
        for (var i = 0; i < 7; i++)
        {
            now += 5_000;
            failures.Succeeded();
            Assert.False(failures.Failed(out _, out _));
        }
        now = 1_000 + 59_999;
        Assert.False(failures.Failed(out _, out _));

        now = 1_000 + 60_000;
        Assert.True(failures.Failed(out _, out unlogged));
        Assert.Equal(8, unlogged);
        Assert.False(failures.Failed(out _, out _));
    }
}

/// <summary>Which failures mean the process is out of file descriptors (the real one: DescriptorExhaustionTests).</summary>
public sealed class OutOfDescriptorsTests
{
    [Fact]
    public void Emfile_and_enfile_from_a_file_or_a_socket_count_and_other_failures_do_not()
    {
        Requires.Linux("the errno values are Linux's");
        // .NET's IOException from a failed open carries the raw errno as its HResult.
        Assert.True(OutOfDescriptors.Is(new IOException("Too many open files", 24)));
        Assert.True(OutOfDescriptors.Is(new IOException("Too many open files in system", 23)));
        Assert.True(OutOfDescriptors.Is(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.TooManyOpenSockets)));
        Assert.True(OutOfDescriptors.Is(new InvalidOperationException("wrapped", new IOException("Too many open files", 24))));
        Assert.False(OutOfDescriptors.Is(new IOException("No such file", 2)));
        Assert.False(OutOfDescriptors.Is(new FileNotFoundException("gone")));
        Assert.False(OutOfDescriptors.Is(new InvalidOperationException("a bug")));
    }
}

/// <summary>The room a process's descriptors leave, and how it is read.</summary>
public sealed class DescriptorLimitTests
{
    [Fact]
    public void The_room_is_the_limit_less_what_is_open_and_64_three_quarters_for_connections_a_quarter_for_refusals()
    {
        var limit = new DescriptorLimit(Limit: 256, OpenAtStart: 130);
        Assert.Equal(62, limit.Room);
        Assert.Equal(46, limit.Connections);
        Assert.Equal(15, limit.Refusals(atMost: 128));
        Assert.Equal(128, new DescriptorLimit(1_048_576, 130).Refusals(atMost: 128));
        Assert.Equal(1, new DescriptorLimit(100, 130).Connections); // already past it: still one, not none
    }

    [Fact]
    public void The_soft_limit_is_read_from_a_limits_file_and_unlimited_is_none()
    {
        Requires.Linux("/proc/PID/limits");
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "Limit                     Soft Limit           Hard Limit           Units     \nMax processes             63704                63704                processes \nMax open files            1024                 524288               files     \n");
            Assert.Equal(1024, DescriptorLimit.Read(file));
            File.WriteAllText(file, "Max open files            unlimited            unlimited            files     \n");
            Assert.Null(DescriptorLimit.Read(file));
            Assert.Null(DescriptorLimit.Read(file + ".missing"));
        }
        finally { File.Delete(file); }
        // This process's own, as the server reads it at its start.
        var mine = DescriptorLimit.OfThisProcess();
        Assert.NotNull(mine);
        Assert.True(mine.OpenAtStart > 3 && mine.OpenAtStart < mine.Limit, $"{mine.OpenAtStart} open of {mine.Limit}");
    }
}
