#include "team/pq_library.h"

#include <string>

#include "core/shared_library.h"

namespace cmdai::team {
namespace {

Result<PqLibrary> open_library() {
  auto opened = open_shared_library("libpq.so.5", "libpq", "install it (apt-get install libpq5) to use team history");
  if (!opened) return fail(opened.error());
  void* handle = *opened;
  PqLibrary lib;
  std::string missing;
  bind_symbol(handle, "PQclear", lib.clear, missing);
  bind_symbol(handle, "PQcmdTuples", lib.cmd_tuples, missing);
  bind_symbol(handle, "PQconnectdbParams", lib.connectdb_params, missing);
  bind_symbol(handle, "PQconninfoFree", lib.conninfo_free, missing);
  bind_symbol(handle, "PQconninfoParse", lib.conninfo_parse, missing);
  bind_symbol(handle, "PQdb", lib.db, missing);
  bind_symbol(handle, "PQerrorMessage", lib.error_message, missing);
  bind_symbol(handle, "PQexec", lib.exec, missing);
  bind_symbol(handle, "PQexecParams", lib.exec_params, missing);
  bind_symbol(handle, "PQfinish", lib.finish, missing);
  bind_symbol(handle, "PQfreemem", lib.freemem, missing);
  bind_symbol(handle, "PQgetResult", lib.get_result, missing);
  bind_symbol(handle, "PQgetisnull", lib.get_is_null, missing);
  bind_symbol(handle, "PQgetlength", lib.get_length, missing);
  bind_symbol(handle, "PQgetvalue", lib.get_value, missing);
  bind_symbol(handle, "PQhost", lib.host, missing);
  bind_symbol(handle, "PQnfields", lib.nfields, missing);
  bind_symbol(handle, "PQntuples", lib.ntuples, missing);
  bind_symbol(handle, "PQport", lib.port, missing);
  bind_symbol(handle, "PQputCopyData", lib.put_copy_data, missing);
  bind_symbol(handle, "PQputCopyEnd", lib.put_copy_end, missing);
  bind_symbol(handle, "PQresultErrorField", lib.result_error_field, missing);
  bind_symbol(handle, "PQresultErrorMessage", lib.result_error_message, missing);
  bind_symbol(handle, "PQresultStatus", lib.result_status, missing);
  bind_symbol(handle, "PQsendQuery", lib.send_query, missing);
  bind_symbol(handle, "PQsetNoticeProcessor", lib.set_notice_processor, missing);
  bind_symbol(handle, "PQstatus", lib.status, missing);
  if (!missing.empty()) {
    return fail(ErrorCode::unavailable, "the installed libpq lacks " + missing,
                "cmdai needs libpq 10 or newer for team history");
  }
  return lib;
}

const Result<PqLibrary>& library() {
  // C++ guarantees this runs once, even with several threads.
  static const Result<PqLibrary> opened = open_library();
  return opened;
}

}  // namespace

Result<const PqLibrary*> pq_library() {
  const Result<PqLibrary>& opened = library();
  if (!opened) return fail(opened.error());
  return &*opened;
}

const PqLibrary& loaded_pq_library() { return *library(); }

}  // namespace cmdai::team
