# Embeds the install SQL files, in the order given, into a C++ source file.
# Usage: cmake -DOUTPUT=file.cpp -DFILES="a.sql;b.sql" -P embed_sql.cmake
set(content "// Generated from agent/install/sql by embed_sql.cmake; do not edit.\n")
string(APPEND content "#include \"agent/install/install_sql.h\"\n\nnamespace pgposture {\n\n")
string(APPEND content "const std::vector<InstallSqlFile>& InstallSqlFiles() {\n")
string(APPEND content "  static const std::vector<InstallSqlFile> files = {\n")
foreach(file IN LISTS FILES)
  file(READ "${file}" sql)
  get_filename_component(name "${file}" NAME)
  string(APPEND content "      {\"${name}\", R\"pgposture_sql(${sql})pgposture_sql\"},\n")
endforeach()
string(APPEND content "  };\n  return files;\n}\n\n}  // namespace pgposture\n")
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
