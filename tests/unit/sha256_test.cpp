#include "runtime/sha256.h"

#include <catch2/catch.hpp>
#include <string>

namespace aipol {
namespace {

std::string Hash(std::string_view bytes) {
  Sha256 sha;
  sha.Update(bytes);
  return sha.HexDigest();
}

// Feeds `bytes` in pieces of `chunk` bytes (the last one shorter).
std::string HashChunked(std::string_view bytes, size_t chunk) {
  Sha256 sha;
  for (size_t at = 0; at < bytes.size(); at += chunk) sha.Update(bytes.substr(at, chunk));
  return sha.HexDigest();
}

TEST_CASE("FIPS 180-4 test vectors", "[sha256]") {
  CHECK(Hash("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(Hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // The 448-bit message: the padding no longer fits its block.
  CHECK(Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  // The 896-bit message.
  CHECK(
      Hash(
          "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmn"
          "opqrstnopqrstu") == "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST_CASE("one million 'a' through repeated Update", "[sha256]") {
  const std::string expected = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
  SECTION("one byte at a time") {
    Sha256 sha;
    for (int i = 0; i < 1'000'000; ++i) sha.Update("a");
    CHECK(sha.HexDigest() == expected);
  }
  SECTION("1000 updates of 1000 bytes") {
    Sha256 sha;
    std::string thousand(1000, 'a');
    for (int i = 0; i < 1000; ++i) sha.Update(thousand);
    CHECK(sha.HexDigest() == expected);
  }
  SECTION("one update") { CHECK(Hash(std::string(1'000'000, 'a')) == expected); }
}

TEST_CASE("lengths around the padding boundaries", "[sha256]") {
  // Reference values from Python's hashlib.
  const std::pair<size_t, const char*> vectors[] = {
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
  };
  for (const auto& [length, digest] : vectors) {
    INFO(length << " bytes");
    CHECK(Hash(std::string(length, 'a')) == digest);
  }
}

TEST_CASE("all byte values, including NUL and bytes above 0x7f", "[sha256]") {
  std::string bytes;
  for (int b = 0; b < 256; ++b) bytes.push_back(static_cast<char>(b));
  CHECK(Hash(bytes) == "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
}

TEST_CASE("chunked updates equal one-shot", "[sha256]") {
  std::string message;
  for (int i = 0; i < 300; ++i) message.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  for (size_t length : {0, 1, 55, 56, 63, 64, 65, 127, 128, 129, 300}) {
    std::string_view prefix = std::string_view(message).substr(0, length);
    std::string whole = Hash(prefix);
    for (size_t chunk : {1, 2, 3, 7, 31, 55, 56, 63, 64, 65, 100, 1000}) {
      INFO(length << " bytes in chunks of " << chunk);
      CHECK(HashChunked(prefix, chunk) == whole);
    }
  }
}

TEST_CASE("empty updates change nothing", "[sha256]") {
  Sha256 sha;
  sha.Update("");
  sha.Update("a");
  sha.Update("");
  sha.Update("bc");
  sha.Update("");
  CHECK(sha.HexDigest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("the digest is 64 lower-case hex digits", "[sha256]") {
  std::string digest = Hash("aipol");
  REQUIRE(digest.size() == 64);
  for (char c : digest) {
    INFO(digest);
    CHECK(((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')));
  }
}

}  // namespace
}  // namespace aipol
