# SPDX-License-Identifier: Apache-2.0
# Writes ${OUT}: a C++ table of every store/migrations/NNNN_*.sql as raw
# string literals. Runs at configure time; the .sql files are configure deps.
file(GLOB _sql RELATIVE ${MIGRATIONS_DIR} ${MIGRATIONS_DIR}/[0-9][0-9][0-9][0-9]_*.sql)
list(SORT _sql)
set(_entries "")
foreach(f IN LISTS _sql)
  file(READ ${MIGRATIONS_DIR}/${f} _body)
  string(SUBSTRING ${f} 0 4 _num)
  math(EXPR _version "${_num}")
  string(APPEND _entries
    "    {${_version}, \"${f}\", R\"vigil_sql(${_body})vigil_sql\"},\n")
endforeach()
file(WRITE ${OUT}.new
"// Generated from store/migrations/*.sql by embed.cmake. Do not edit.
#include \"store/migrations/migrations.h\"

namespace vigil::store {
namespace {
const Migration kMigrations[] = {
${_entries}};
}  // namespace

std::span<const Migration> Migrations() { return kMigrations; }

}  // namespace vigil::store
")
file(COPY_FILE ${OUT}.new ${OUT} ONLY_IF_DIFFERENT)
