-- wrk -s bench/mix.lua: the 20 files of /mix/ (0.5 KiB to 200 KiB) requested in turn.
local paths = {}
for i = 1, 20 do paths[i] = string.format("/mix/%02d.bin", i) end
local next = 0

request = function()
  next = next % #paths + 1
  return wrk.format("GET", paths[next])
end
