using Zones.Handlers.Static;

namespace Zones.Tests.Static;

public sealed class ByteRangesTests
{
    [Theory]
    [InlineData("bytes=0-99", 1000, 0, 99)]
    [InlineData("bytes=500-", 1000, 500, 999)]
    [InlineData("bytes=-100", 1000, 900, 999)]
    [InlineData("bytes=-5000", 1000, 0, 999)]          // a suffix longer than the file is the whole file
    [InlineData("bytes=990-5000", 1000, 990, 999)]     // the last position is clamped
    [InlineData("BYTES = 1-1", 1000, 1, 1)]
    [InlineData("bytes=0-99999999999999999999999", 10, 0, 9)] // too big for a long: saturates
    [InlineData("bytes= , 3-4 ,", 10, 3, 4)]         // empty list elements are allowed
    public void A_single_range_is_parsed(string header, long length, long start, long end)
    {
        var request = ByteRanges.Parse(header, length);
        Assert.Equal(RangeOutcome.Partial, request.Outcome);
        Assert.Equal([new ByteRange(start, end)], request.Ranges);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("items=0-1")]       // another unit
    [InlineData("bytes")]
    [InlineData("bytes=")]
    [InlineData("bytes=abc")]
    [InlineData("bytes=5-3")]       // last before first is invalid, not unsatisfiable
    [InlineData("bytes=-")]
    [InlineData("bytes=1-2-3")]
    [InlineData("bytes=+1-2")]
    [InlineData("bytes=0x10-20")]
    [InlineData("bytes=1 -2")]
    public void A_malformed_header_is_ignored(string? header)
    {
        Assert.Equal(RangeOutcome.Whole, ByteRanges.Parse(header, 1000).Outcome);
    }

    [Theory]
    [InlineData("bytes=1000-", 1000)]
    [InlineData("bytes=5000-6000", 1000)]
    [InlineData("bytes=-0", 1000)]
    [InlineData("bytes=0-0", 0)]     // an empty file has no bytes to give
    [InlineData("bytes=-10", 0)]
    [InlineData("bytes=2000-,3000-3001", 1000)]
    public void Ranges_that_all_lie_past_the_end_are_unsatisfiable(string header, long length)
    {
        Assert.Equal(RangeOutcome.Unsatisfiable, ByteRanges.Parse(header, length).Outcome);
    }

    [Fact]
    public void Unsatisfiable_ranges_in_a_list_are_dropped()
    {
        var request = ByteRanges.Parse("bytes=5000-6000,0-9", 1000);
        Assert.Equal([new ByteRange(0, 9)], request.Ranges);
    }

    [Fact]
    public void Separate_ranges_keep_the_clients_order()
    {
        var request = ByteRanges.Parse("bytes=500-599,0-99", 1000);
        Assert.Equal([new ByteRange(500, 599), new ByteRange(0, 99)], request.Ranges);
    }

    [Fact]
    public void Overlapping_and_near_ranges_are_merged_so_a_request_cannot_multiply_the_download()
    {
        Assert.Equal([new ByteRange(0, 999)], ByteRanges.Parse("bytes=0-,0-,0-,0-,0-", 1000).Ranges);
        Assert.Equal([new ByteRange(0, 150)], ByteRanges.Parse("bytes=100-150,0-10,20-30", 1000).Ranges);
        Assert.Equal([new ByteRange(0, 9), new ByteRange(500, 509)], ByteRanges.Parse("bytes=500-509,0-5,3-9", 1000).Ranges);
    }

    [Fact]
    public void Offsets_beyond_four_gibibytes_work()
    {
        const long length = 5L * 1024 * 1024 * 1024;
        Assert.Equal([new ByteRange(length - 10, length - 1)], ByteRanges.Parse("bytes=-10", length).Ranges);
        Assert.Equal([new ByteRange(4_294_967_296, 4_294_967_305)], ByteRanges.Parse("bytes=4294967296-4294967305", length).Ranges);
        Assert.Equal("bytes 5368709110-5368709119/5368709120", new ByteRange(length - 10, length - 1).ContentRange(length));
    }

    [Fact]
    public void More_than_the_maximum_number_of_ranges_is_ignored()
    {
        var many = "bytes=" + string.Join(",", Enumerable.Range(0, ByteRanges.MaxRanges + 1).Select(i => $"{i * 1000}-{i * 1000}"));
        Assert.Equal(RangeOutcome.Whole, ByteRanges.Parse(many, 10_000_000).Outcome);
        var allowed = "bytes=" + string.Join(",", Enumerable.Range(0, ByteRanges.MaxRanges).Select(i => $"{i * 1000}-{i * 1000}"));
        Assert.Equal(ByteRanges.MaxRanges, ByteRanges.Parse(allowed, 10_000_000).Ranges.Count);
    }
}
