-- Starling: CCSDS space packets carrying ECSS PUS-C (ECSS-E-ST-70-41C) over UDP.
--
-- Dissects the CCSDS primary header (133.0-B-2); the PUS-C telecommand secondary header
-- (PUS version, acknowledgement flags, service, subtype, source ID) and telemetry secondary
-- header (PUS version, time reference status, service, subtype, message counter,
-- destination ID, CUC time of 4 coarse + 2 fine octets without P-field); the first fields
-- of the service data Starling defines (service 1 request IDs and failure codes, service 3
-- structure IDs, service 5 event IDs, service 8 function IDs); and the CRC-16/CCITT-FALSE
-- packet error control, checked and flagged when wrong.
--
-- Telecommands authenticated by Starling travel inside a secured packet on APID 0x7FD
-- (flight/links/security.py): primary header, SPI u16, sequence number u32, the PUS-C
-- telecommand untouched, then 16 octets of truncated HMAC-SHA-256. The MAC is shown, not
-- verified: that needs the key, which has no business in a capture tool.
--
-- Registered on UDP ports 10015 and 10025 (preference "UDP ports"); an optional heuristic
-- (preference, off by default) claims datagrams on any port that hold exactly one packet
-- whose CRC is right. Usage: see README.md next to this file.

local B = bit32 or bit -- bit32 in Lua 5.2 (Wireshark < 4.4); Wireshark's BitOp otherwise
local band, bxor, lshift, rshift = B.band, B.bxor, B.lshift, B.rshift

local SECURED_APID = 0x7FD
local PRIMARY_LEN = 6
local TC_SEC_LEN = 5
local TIME_LEN = 6 -- CUC: 4 coarse + 2 fine octets, no P-field
local TM_SEC_LEN = 7 + TIME_LEN
local CRC_LEN = 2
local SECURITY_HEADER_LEN = 6
local MAC_LEN = 16
local MAX_NESTING = 2 -- a secured packet inside a secured packet is shown, not unwrapped again

local SERVICES = {
    [1] = "Request verification",
    [3] = "Housekeeping",
    [5] = "Event reporting",
    [8] = "Function management",
    [9] = "Time management",
    [11] = "Time-based scheduling",
    [17] = "Test",
    [20] = "On-board parameter management",
}

-- keyed by service * 256 + subtype; PUS-C numbers are unique within a service for TC and TM
local SUBTYPES = {
    [1 * 256 + 1] = "Successful acceptance verification",
    [1 * 256 + 2] = "Failed acceptance verification",
    [1 * 256 + 3] = "Successful start of execution",
    [1 * 256 + 4] = "Failed start of execution",
    [1 * 256 + 5] = "Successful progress of execution",
    [1 * 256 + 6] = "Failed progress of execution",
    [1 * 256 + 7] = "Successful completion of execution",
    [1 * 256 + 8] = "Failed completion of execution",
    [3 * 256 + 5] = "Enable periodic housekeeping reports",
    [3 * 256 + 6] = "Disable periodic housekeeping reports",
    [3 * 256 + 25] = "Housekeeping parameter report",
    [3 * 256 + 27] = "Generate one-shot housekeeping report",
    [3 * 256 + 31] = "Modify housekeeping reporting interval",
    [5 * 256 + 1] = "Informative event report",
    [5 * 256 + 2] = "Low severity anomaly report",
    [5 * 256 + 3] = "Medium severity anomaly report",
    [5 * 256 + 4] = "High severity anomaly report",
    [5 * 256 + 5] = "Enable event report generation",
    [5 * 256 + 6] = "Disable event report generation",
    [8 * 256 + 1] = "Perform a function",
    [9 * 256 + 1] = "Set time report generation rate",
    [9 * 256 + 2] = "CUC time report",
    [9 * 256 + 128] = "Report the time now",
    [9 * 256 + 129] = "Set the mission time",
    [9 * 256 + 130] = "Correlate the mission time",
    [11 * 256 + 1] = "Enable the time-based schedule",
    [11 * 256 + 2] = "Disable the time-based schedule",
    [11 * 256 + 3] = "Reset the time-based schedule",
    [11 * 256 + 4] = "Insert activities",
    [11 * 256 + 5] = "Delete activities by request ID",
    [11 * 256 + 10] = "Schedule detail report",
    [11 * 256 + 13] = "Schedule summary report",
    [11 * 256 + 16] = "Detail-report all activities",
    [11 * 256 + 17] = "Summary-report all activities",
    [17 * 256 + 1] = "Are-you-alive connection test",
    [17 * 256 + 2] = "Are-you-alive connection report",
    [17 * 256 + 128] = "Request a telemetry burst",
    [17 * 256 + 129] = "Telemetry burst report",
    [20 * 256 + 1] = "Report parameter values",
    [20 * 256 + 2] = "Parameter value report",
    [20 * 256 + 3] = "Set parameter values",
}

-- flight/core/errors.py FailureCode; a test holds this table to it
local FAILURE_CODES = {
    [1] = "MALFORMED_PACKET",
    [2] = "UNKNOWN_APID",
    [3] = "UNKNOWN_SERVICE",
    [4] = "BAD_LENGTH",
    [5] = "UNKNOWN_FUNCTION",
    [6] = "ARGUMENT_OUT_OF_RANGE",
    [7] = "UNKNOWN_PARAMETER",
    [8] = "UNKNOWN_STRUCTURE",
    [9] = "UNKNOWN_EVENT",
    [10] = "APP_UNAVAILABLE",
    [11] = "EXECUTION_FAILED",
    [12] = "PERSISTENCE_FAILED",
    [13] = "BUSY",
    [14] = "UNAUTHENTICATED",
    [15] = "REFUSED",
    [16] = "SCHEDULE_FULL",
    [17] = "RELEASE_TIME_PASSED",
    [18] = "UNKNOWN_REQUEST",
    [19] = "DUPLICATE_REQUEST",
}

-- Wireshark's own checksum status values (proto.h PROTO_CHECKSUM_E_*)
local CRC_BAD, CRC_GOOD = 0, 1
local CRC_STATUS = { [0] = "Bad", [1] = "Good", [2] = "Unverified" }

local starling = Proto("starling", "Starling PUS-C")

local f = {
    version = ProtoField.uint16("starling.version", "Version", base.DEC, nil, 0xE000),
    type = ProtoField.uint16("starling.type", "Packet type", base.DEC,
        { [0] = "Telemetry", [1] = "Telecommand" }, 0x1000),
    sec_hdr = ProtoField.bool("starling.sec_hdr", "Secondary header flag", 16, nil, 0x0800),
    apid = ProtoField.uint16("starling.apid", "APID", base.DEC_HEX, nil, 0x07FF),
    seq_flags = ProtoField.uint16("starling.seq_flags", "Sequence flags", base.DEC,
        { [0] = "Continuation", [1] = "First", [2] = "Last", [3] = "Unsegmented" }, 0xC000),
    seq_count = ProtoField.uint16("starling.seq_count", "Sequence count", base.DEC, nil, 0x3FFF),
    length = ProtoField.uint16("starling.length", "Packet data length (octets - 1)", base.DEC),

    pus_version = ProtoField.uint8("starling.pus_version", "PUS version", base.DEC, nil, 0xF0),
    ack = ProtoField.uint8("starling.tc.ack", "Acknowledgement flags", base.HEX, nil, 0x0F),
    ack_acceptance = ProtoField.bool("starling.tc.ack.acceptance", "Acceptance", 8, nil, 0x01),
    ack_start = ProtoField.bool("starling.tc.ack.start", "Start", 8, nil, 0x02),
    ack_progress = ProtoField.bool("starling.tc.ack.progress", "Progress", 8, nil, 0x04),
    ack_completion = ProtoField.bool("starling.tc.ack.completion", "Completion", 8, nil, 0x08),
    source_id = ProtoField.uint16("starling.tc.source_id", "Source ID", base.DEC),
    time_ref = ProtoField.uint8("starling.tm.time_ref_status", "Time reference status",
        base.DEC, nil, 0x0F),
    msg_counter = ProtoField.uint16("starling.tm.msg_counter", "Message type counter", base.DEC),
    dest_id = ProtoField.uint16("starling.tm.dest_id", "Destination ID", base.DEC),
    time_coarse = ProtoField.uint32("starling.tm.time.coarse", "CUC coarse time (s)", base.DEC),
    time_fine = ProtoField.uint16("starling.tm.time.fine", "CUC fine time (2^-16 s)", base.DEC),
    time_seconds = ProtoField.double("starling.tm.time.seconds",
        "Time (s since 1958-01-01 TAI, or mission epoch)"),
    service = ProtoField.uint8("starling.service", "Service", base.DEC, SERVICES),
    subtype = ProtoField.uint8("starling.subtype", "Subtype", base.DEC),
    subtype_name = ProtoField.string("starling.subtype_name", "Subtype name"),
    data = ProtoField.bytes("starling.data", "Data"),

    req_apid = ProtoField.uint16("starling.verif.req_apid", "Request APID", base.DEC, nil, 0x07FF),
    req_seq = ProtoField.uint16("starling.verif.req_seq", "Request sequence count", base.DEC, nil,
        0x3FFF),
    step = ProtoField.uint8("starling.verif.step", "Step ID", base.DEC),
    failure_code = ProtoField.uint16("starling.verif.failure_code", "Failure code", base.DEC,
        FAILURE_CODES),
    failure_data = ProtoField.bytes("starling.verif.failure_data", "Failure data"),
    sid = ProtoField.uint16("starling.hk.sid", "Structure ID", base.DEC),
    event_id = ProtoField.uint16("starling.event.id", "Event ID", base.DEC),
    function_id = ProtoField.uint16("starling.function.id", "Function ID", base.DEC),

    crc = ProtoField.uint16("starling.crc", "Packet error control (CRC-16)", base.HEX),
    crc_computed = ProtoField.uint16("starling.crc.computed", "Computed CRC-16", base.HEX),
    crc_status = ProtoField.uint8("starling.crc.status", "CRC status", base.DEC, CRC_STATUS),

    spi = ProtoField.uint16("starling.sec.spi", "Security parameter index (key ID)", base.DEC),
    sec_seq = ProtoField.uint32("starling.sec.seq", "Security sequence number", base.DEC),
    mac = ProtoField.bytes("starling.sec.mac", "MAC (HMAC-SHA-256, 16 octets, not verified)"),
}
local field_list = {}
for _, field in pairs(f) do
    field_list[#field_list + 1] = field
end
starling.fields = field_list

local ef = {
    bad_crc = ProtoExpert.new("starling.crc.bad", "Bad CRC-16", expert.group.CHECKSUM,
        expert.severity.ERROR),
    truncated = ProtoExpert.new("starling.truncated", "Packet shorter than its length field",
        expert.group.MALFORMED, expert.severity.ERROR),
    too_short = ProtoExpert.new("starling.too_short", "Too short for its secondary header",
        expert.group.MALFORMED, expert.severity.ERROR),
    not_pus_c = ProtoExpert.new("starling.not_pus_c", "Not PUS-C (PUS version is not 2)",
        expert.group.PROTOCOL, expert.severity.WARN),
    trailing = ProtoExpert.new("starling.trailing", "Octets after the last whole packet",
        expert.group.MALFORMED, expert.severity.WARN),
}
starling.experts = { ef.bad_crc, ef.truncated, ef.too_short, ef.not_pus_c, ef.trailing }

starling.prefs.udp_ports = Pref.range("UDP ports", "10015,10025",
    "UDP ports that carry Starling PUS-C packets", 65535)
starling.prefs.heuristic = Pref.bool("Heuristic on other UDP ports", false,
    "Also claim datagrams on any UDP port that hold exactly one packet with a good CRC")

-- CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF), table-driven as flight/ccsds computes it
local CRC_TABLE = {}
for i = 0, 255 do
    local crc = lshift(i, 8)
    for _ = 1, 8 do
        if band(crc, 0x8000) ~= 0 then
            crc = band(bxor(lshift(crc, 1), 0x1021), 0xFFFF)
        else
            crc = band(lshift(crc, 1), 0xFFFF)
        end
    end
    CRC_TABLE[i] = crc
end

local function crc16(buf, offset, length)
    local bytes = buf:bytes(offset, length)
    local crc = 0xFFFF
    for i = 0, length - 1 do
        local index = bxor(rshift(crc, 8), bytes:get_index(i))
        crc = bxor(band(lshift(crc, 8), 0xFFFF), CRC_TABLE[index])
    end
    return crc
end

local function subtype_name(service, subtype)
    return SUBTYPES[service * 256 + subtype] or "Unknown"
end

local function add_service(tree, buf, at, kind)
    local service, subtype = buf(at, 1):uint(), buf(at + 1, 1):uint()
    local name = subtype_name(service, subtype)
    tree:add(f.service, buf(at, 1))
    tree:add(f.subtype, buf(at + 1, 1)):append_text(" (" .. name .. ")")
    tree:add(f.subtype_name, buf(at, 2), name):set_generated()
    return string.format("%s(%d,%d) %s", kind, service, subtype, name), service, subtype
end

-- The first fields of the user data, where Starling's services define them.
local function add_service_data(tree, buf, at, size, is_tc, service, subtype)
    if size <= 0 then
        return ""
    end
    local data = tree:add(f.data, buf(at, size))
    if not is_tc and service == 1 and size >= 4 then
        data:add(f.req_apid, buf(at, 2))
        data:add(f.req_seq, buf(at + 2, 2))
        local next_at = at + 4
        if subtype == 5 or subtype == 6 then
            if size >= 5 then
                data:add(f.step, buf(next_at, 1))
            end
            next_at = next_at + 1
        end
        if subtype % 2 == 0 and at + size >= next_at + 2 then
            local code = buf(next_at, 2):uint()
            data:add(f.failure_code, buf(next_at, 2))
            if at + size > next_at + 2 then
                data:add(f.failure_data, buf(next_at + 2, at + size - next_at - 2))
            end
            return string.format(": code %d (%s)", code, FAILURE_CODES[code] or "unknown")
        end
        return ""
    end
    if size < 2 then
        return ""
    end
    local value = buf(at, 2):uint()
    if is_tc and service == 8 and subtype == 1 then
        data:add(f.function_id, buf(at, 2))
        return string.format(": function ID %d", value)
    elseif not is_tc and service == 5 and subtype >= 1 and subtype <= 4 then
        data:add(f.event_id, buf(at, 2))
        return string.format(": event ID %d", value)
    elseif not is_tc and service == 3 and subtype == 25 then
        data:add(f.sid, buf(at, 2))
        return string.format(": SID %d", value)
    end
    return ""
end

local dissect_packet

local function dissect_pus(tree, buf, off, total, is_tc, apid, seq)
    local sec_len = is_tc and TC_SEC_LEN or TM_SEC_LEN
    if total < PRIMARY_LEN + sec_len + CRC_LEN then
        tree:add_proto_expert_info(ef.too_short)
        return string.format("%s APID %d seq %d [malformed]", is_tc and "TC" or "TM", apid, seq)
    end
    local at = off + PRIMARY_LEN
    local sec = tree:add(buf(at, sec_len), is_tc and "PUS-C TC secondary header"
        or "PUS-C TM secondary header")
    local version_item = sec:add(f.pus_version, buf(at, 1))
    if rshift(buf(at, 1):uint(), 4) ~= 2 then
        version_item:add_proto_expert_info(ef.not_pus_c)
    end
    local info, service, subtype
    if is_tc then
        local ack = sec:add(f.ack, buf(at, 1))
        ack:add(f.ack_acceptance, buf(at, 1))
        ack:add(f.ack_start, buf(at, 1))
        ack:add(f.ack_progress, buf(at, 1))
        ack:add(f.ack_completion, buf(at, 1))
        info, service, subtype = add_service(sec, buf, at + 1, "TC")
        sec:add(f.source_id, buf(at + 3, 2))
    else
        sec:add(f.time_ref, buf(at, 1))
        info, service, subtype = add_service(sec, buf, at + 1, "TM")
        sec:add(f.msg_counter, buf(at + 3, 2))
        sec:add(f.dest_id, buf(at + 5, 2))
        local coarse, fine = buf(at + 7, 4):uint(), buf(at + 11, 2):uint()
        local seconds = coarse + fine / 65536
        local time = sec:add(buf(at + 7, TIME_LEN), string.format("Time: %.6f s (CUC 4+2)", seconds))
        time:add(f.time_coarse, buf(at + 7, 4))
        time:add(f.time_fine, buf(at + 11, 2))
        time:add(f.time_seconds, buf(at + 7, TIME_LEN), seconds):set_generated()
    end
    local data_at = at + sec_len
    local crc_at = off + total - CRC_LEN
    info = info .. add_service_data(tree, buf, data_at, crc_at - data_at, is_tc, service, subtype)

    local carried = buf(crc_at, CRC_LEN):uint()
    local computed = crc16(buf, off, total - CRC_LEN)
    local crc_item = tree:add(f.crc, buf(crc_at, CRC_LEN))
    crc_item:add(f.crc_computed, buf(crc_at, CRC_LEN), computed):set_generated()
    local good = carried == computed
    crc_item:add(f.crc_status, buf(crc_at, CRC_LEN), good and CRC_GOOD or CRC_BAD):set_generated()
    if good then
        crc_item:append_text(" [correct]")
    else
        crc_item:append_text(string.format(" [incorrect, should be 0x%04x]", computed))
        crc_item:add_proto_expert_info(ef.bad_crc,
            string.format("Bad CRC-16: 0x%04x, computed 0x%04x", carried, computed))
        info = info .. " [bad CRC]"
    end
    return string.format("%s, APID %d, seq %d", info, apid, seq)
end

local function dissect_secured(tree, buf, pinfo, off, total, depth)
    if total < PRIMARY_LEN + SECURITY_HEADER_LEN + PRIMARY_LEN + 1 + MAC_LEN then
        tree:add_proto_expert_info(ef.too_short)
        return "Secured TC [malformed]"
    end
    local at = off + PRIMARY_LEN
    local header = tree:add(buf(at, SECURITY_HEADER_LEN), "Security header")
    header:add(f.spi, buf(at, 2))
    header:add(f.sec_seq, buf(at + 2, 4))
    local spi, sequence = buf(at, 2):uint(), buf(at + 2, 4):uint()
    local inner_at = at + SECURITY_HEADER_LEN
    local inner_len = off + total - MAC_LEN - inner_at
    local inner_info = "?"
    if depth < MAX_NESTING then
        local inner_end = inner_at + inner_len
        local used
        used, inner_info = dissect_packet(buf, pinfo, tree, depth + 1, inner_at, inner_end)
        if used < inner_len then
            tree:add_proto_expert_info(ef.trailing)
        end
    else
        tree:add(f.data, buf(inner_at, inner_len))
    end
    tree:add(f.mac, buf(off + total - MAC_LEN, MAC_LEN))
    return string.format("Secured SPI %d seq %d [%s]", spi, sequence, inner_info)
end

-- One space packet at `off`, ending by `limit`; returns the octets it took and a summary for
-- the Info column.
dissect_packet = function(buf, pinfo, root, depth, off, limit)
    local avail = limit - off
    local total = buf(off + 4, 2):uint() + PRIMARY_LEN + 1
    local shown = math.min(total, avail)
    local word0, word1 = buf(off, 2):uint(), buf(off + 2, 2):uint()
    local is_tc = band(word0, 0x1000) ~= 0
    local has_sec = band(word0, 0x0800) ~= 0
    local apid, seq = band(word0, 0x07FF), band(word1, 0x3FFF)

    local tree = root:add(starling, buf(off, shown))
    local primary = tree:add(buf(off, PRIMARY_LEN), "Primary header")
    primary:add(f.version, buf(off, 2))
    primary:add(f.type, buf(off, 2))
    primary:add(f.sec_hdr, buf(off, 2))
    primary:add(f.apid, buf(off, 2))
    primary:add(f.seq_flags, buf(off + 2, 2))
    primary:add(f.seq_count, buf(off + 2, 2))
    primary:add(f.length, buf(off + 4, 2))

    local info
    if total > avail then
        tree:add_proto_expert_info(ef.truncated)
        info = string.format("APID %d seq %d [truncated: %d of %d octets]", apid, seq, avail, total)
    elseif apid == SECURED_APID and is_tc and not has_sec then
        info = dissect_secured(tree, buf, pinfo, off, total, depth)
    elseif has_sec then
        info = dissect_pus(tree, buf, off, total, is_tc, apid, seq)
    else
        if total > PRIMARY_LEN then
            tree:add(f.data, buf(off + PRIMARY_LEN, total - PRIMARY_LEN))
        end
        info = string.format("%s APID %d seq %d (no secondary header)", is_tc and "TC" or "TM",
            apid, seq)
    end
    tree:append_text(", " .. info)
    return shown, info
end

function starling.dissector(buf, pinfo, root)
    local len = buf:len()
    if len < PRIMARY_LEN + 1 then
        return 0
    end
    pinfo.cols.protocol = "Starling"
    local off, infos = 0, {}
    -- one packet per datagram is the contract; more are dissected in turn, as split_packets does
    while len - off >= PRIMARY_LEN + 1 do
        local used, info = dissect_packet(buf, pinfo, root, 0, off, len)
        infos[#infos + 1] = info
        off = off + used
    end
    if off < len then
        root:add(starling, buf(off, len - off)):add_proto_expert_info(ef.trailing)
        off = len
    end
    pinfo.cols.info:set(table.concat(infos, "; "))
    return off
end

local function looks_like_starling(buf)
    local len = buf:len()
    if len < PRIMARY_LEN + TC_SEC_LEN + CRC_LEN then
        return false
    end
    local word0 = buf(0, 2):uint()
    if rshift(word0, 13) ~= 0 or buf(4, 2):uint() + PRIMARY_LEN + 1 ~= len then
        return false
    end
    if band(word0, 0x1FFF) == 0x1000 + SECURED_APID then
        return len >= PRIMARY_LEN + SECURITY_HEADER_LEN + PRIMARY_LEN + 1 + MAC_LEN
    end
    return band(word0, 0x0800) ~= 0 and rshift(buf(6, 1):uint(), 4) == 2
        and crc16(buf, 0, len - CRC_LEN) == buf(len - CRC_LEN, CRC_LEN):uint()
end

starling:register_heuristic("udp", function(buf, pinfo, root)
    if not starling.prefs.heuristic or not looks_like_starling(buf) then
        return false
    end
    starling.dissector(buf, pinfo, root)
    return true
end)

local udp_port = DissectorTable.get("udp.port")
local registered_ports = nil

local function register_ports()
    if registered_ports ~= nil then
        udp_port:remove(registered_ports, starling)
    end
    udp_port:add(starling.prefs.udp_ports, starling)
    registered_ports = starling.prefs.udp_ports
end

function starling.prefs_changed()
    if registered_ports ~= starling.prefs.udp_ports then
        register_ports()
    end
end

register_ports()
