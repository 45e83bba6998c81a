-- wrk -s bench/pipeline.lua: 16 GET /plaintext requests in every write (wrk counts each response).
init = function(args)
  local requests = {}
  for i = 1, 16 do requests[i] = wrk.format("GET", "/plaintext") end
  batch = table.concat(requests)
end

request = function()
  return batch
end
