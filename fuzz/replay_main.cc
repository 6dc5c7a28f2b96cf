// A main() for fuzz targets without libFuzzer: feeds every file named on the
// command line (or found directly inside a named directory) to
// LLVMFuzzerTestOneInput once. This is how the seed corpora run as ordinary
// regression tests under g++.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

bool replay(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", file.c_str());
    return false;
  }
  const std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
  // An exactly-sized heap copy, as libFuzzer makes, so sanitizers see reads
  // past the input (a vector built from stream iterators grows its capacity
  // past its size, and ASan cannot see reads into that slack).
  const size_t size = bytes.size();
  const std::unique_ptr<uint8_t[]> exact(new uint8_t[size == 0 ? 1 : size]);
  std::copy(bytes.begin(), bytes.end(), exact.get());
  LLVMFuzzerTestOneInput(exact.get(), size);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_directory(arg, ec)) {
      for (const auto& entry : fs::directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
    } else {
      files.push_back(arg);
    }
    for (const fs::path& f : files) {
      std::fprintf(stderr, "replay: %s\n", f.c_str());
      if (!replay(f)) return 1;
      ++replayed;
    }
  }
  // A replay of nothing would pass vacuously; treat it as a broken target.
  if (replayed == 0) {
    std::fprintf(stderr, "replay: no inputs given\n");
    return 1;
  }
  std::fprintf(stderr, "replay: %zu inputs, no failures\n", replayed);
  return 0;
}
