using Zones.Hosting;

// `zones` alone prints the usage: a tool run by hand in any folder should not start serving it.
return await ZonesCommands.RunAsync(args.Length == 0 ? ["help"] : args);
