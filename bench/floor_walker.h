// The parse floor: simdjson On-Demand touching every value of a descriptor,
// the least any loader built on it must do. bench_eval and parse_floor share
// it, so that both measure the same floor. Include it only from files built
// with the loader's SIMD flags (cmake/SimdFlags.cmake): On-Demand picks its
// kernel at compile time.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <utility>

namespace aipol::bench {

struct FloorWalker {
  uint64_t checksum = 0;  // so that nothing is optimised away

  simdjson::error_code Walk(simdjson::ondemand::value value) {
    using simdjson::ondemand::json_type;
    json_type type;
    if (auto error = value.type().get(type)) return error;
    switch (type) {
      case json_type::object: {
        simdjson::ondemand::object object;
        if (auto error = value.get_object().get(object)) return error;
        return WalkObject(object);
      }
      case json_type::array: {
        simdjson::ondemand::array array;
        if (auto error = value.get_array().get(array)) return error;
        for (auto item : array) {
          simdjson::ondemand::value v;
          if (auto error = item.get(v)) return error;
          if (auto error = Walk(v)) return error;
        }
        return simdjson::SUCCESS;
      }
      case json_type::string: {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        checksum += text.size();
        return simdjson::SUCCESS;
      }
      case json_type::number: {
        double d;
        if (auto error = value.get_double().get(d)) return error;
        checksum += static_cast<uint64_t>(d != 0);
        return simdjson::SUCCESS;
      }
      case json_type::boolean: {
        bool b;
        if (auto error = value.get_bool().get(b)) return error;
        checksum += b;
        return simdjson::SUCCESS;
      }
      case json_type::null: {
        bool is_null;
        if (auto error = value.is_null().get(is_null)) return error;
        checksum += is_null;
        return simdjson::SUCCESS;
      }
    }
    return simdjson::INCORRECT_TYPE;
  }

  simdjson::error_code WalkObject(simdjson::ondemand::object& object) {
    for (auto item : object) {
      simdjson::ondemand::field field;
      if (auto error = std::move(item).get(field)) return error;
      std::string_view key;
      if (auto error = field.unescaped_key().get(key)) return error;
      checksum += key.size();
      if (auto error = Walk(field.value())) return error;
    }
    return simdjson::SUCCESS;
  }

  // A document that must hold one object and, like the loader requires,
  // nothing after it.
  simdjson::error_code WalkDocument(simdjson::ondemand::document& doc) {
    simdjson::ondemand::object object;
    if (auto error = doc.get_object().get(object)) return error;
    if (auto error = WalkObject(object)) return error;
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) == simdjson::SUCCESS) return simdjson::TRAILING_CONTENT;
    return simdjson::SUCCESS;
  }
};

}  // namespace aipol::bench
