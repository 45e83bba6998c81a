-- wrk -s bench/browser.lua: GET of the URL's path with the fields Chromium sends for a page (about 650 bytes
-- of them: sec-ch-ua, Sec-Fetch-*, a long Accept and User-Agent, a cookie); PIPE=16 puts 16 in every write.
-- IF_NONE_MATCH and IF_MODIFIED_SINCE make it a reload's revalidation, as Chromium sends it (with
-- Cache-Control: max-age=0): the server's own ETag and Last-Modified, so the answer is a 304.
local headers = {
  ["Connection"] = "keep-alive",
  ["sec-ch-ua"] = '"Chromium";v="156", "Not-A.Brand";v="24"',
  ["sec-ch-ua-mobile"] = "?0",
  ["sec-ch-ua-platform"] = '"Linux"',
  ["Upgrade-Insecure-Requests"] = "1",
  ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36",
  ["Accept"] = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
  ["Sec-Fetch-Site"] = "none",
  ["Sec-Fetch-Mode"] = "navigate",
  ["Sec-Fetch-User"] = "?1",
  ["Sec-Fetch-Dest"] = "document",
  ["Accept-Encoding"] = "gzip, deflate, br, zstd",
  ["Accept-Language"] = "en-US,en;q=0.9",
  ["Cookie"] = "session=3f2a9c7e1b4d6f8a0c2e4a6b8d0f1a3c; theme=dark; _ga=GA1.1.123456789.1700000000",
}
if os.getenv("IF_NONE_MATCH") then
  headers["Cache-Control"] = "max-age=0"
  headers["If-None-Match"] = os.getenv("IF_NONE_MATCH")
  headers["If-Modified-Since"] = os.getenv("IF_MODIFIED_SINCE")
end
init = function(args)
  local n = tonumber(os.getenv("PIPE") or "1")
  local requests = {}
  for i = 1, n do requests[i] = wrk.format("GET", wrk.path, headers) end
  batch = table.concat(requests)
end
request = function() return batch end
