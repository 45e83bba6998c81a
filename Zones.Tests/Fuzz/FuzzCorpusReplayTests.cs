using Zones.Fuzz;

namespace Zones.Tests.Fuzz;

/// <summary>
/// CI does not fuzz; it replays what the fuzzer kept (fuzz/corpus/TARGET: the queue of
/// interesting inputs, and any crash or hang ever found) through the same targets. Each input
/// must be accepted or refused with BadHttpRequestException — nothing else, and promptly.
/// </summary>
public sealed class FuzzCorpusReplayTests
{
    private static string Folder(string target) => Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", target);

    public static TheoryData<string> Targets => new(FuzzTargets.All.Keys);

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task Every_kept_input_is_handled_cleanly(string target)
    {
        var files = Directory.Exists(Folder(target)) ? Directory.GetFiles(Folder(target)) : [];
        Assert.NotEmpty(files);
        var run = FuzzTargets.All[target];
        foreach (var file in files)
        {
            var input = await File.ReadAllBytesAsync(file);
            var work = Task.Run(() => run(input));
            var finished = await Task.WhenAny(work, Task.Delay(TimeSpan.FromSeconds(10)));
            Assert.True(finished == work, $"{target} hung on {Path.GetFileName(file)}");
            await work; // rethrows anything but BadHttpRequestException, which the target absorbs
        }
    }
}
