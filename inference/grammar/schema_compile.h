// SPDX-License-Identifier: Apache-2.0
// Compiles a JSON-schema subset into a `Grammar`: objects (every property
// required, emitted in schema order, no additional properties), strings
// with maxLength (or a string enum), integers with minimum/maximum (>= 0),
// arrays with maxItems (uniqueItems for enum items). Anything else is
// refused with the JSON pointer of the offending node.
#pragma once

#include <string_view>

#include "common/status.h"
#include "inference/grammar/grammar.h"

namespace vigil::grammar {

// `schema_json` is the schema document's text. InvalidArgument names the
// node and what is missing or unsupported ("/properties/flags: arrays need
// maxItems").
Result<Grammar> CompileJsonSchema(std::string_view schema_json);

}  // namespace vigil::grammar
