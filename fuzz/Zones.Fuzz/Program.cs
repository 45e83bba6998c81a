// AFL++ entry point: dotnet Zones.Fuzz.dll TARGET (head | chunked). SharpFuzz runs the target
// in-process for every input AFL sends; see fuzz/run.sh.
using SharpFuzz;
using Zones.Fuzz;

if (args.Length != 1 || !FuzzTargets.All.TryGetValue(args[0], out var target))
{
    Console.Error.WriteLine("usage: Zones.Fuzz TARGET   (" + string.Join(" | ", FuzzTargets.All.Keys) + ")");
    return 2;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    target(buffer.ToArray());
});
return 0;
