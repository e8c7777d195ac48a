//! Writes small MaxMind-format country databases (IPv4, 24-bit records) for tests.

enum Rec {
    Empty,
    Node(usize),
    Data(usize),
}

/// A database mapping each `(network, prefix length)` to `{"country": {"iso_code": code}}`.
pub fn country_db(entries: &[([u8; 4], usize, &str)]) -> Vec<u8> {
    let mut nodes: Vec<[Rec; 2]> = vec![[Rec::Empty, Rec::Empty]];
    let mut data = Vec::new();
    for (net, len, code) in entries {
        let offset = data.len();
        data.push(0xE1);
        data.push(0x47);
        data.extend_from_slice(b"country");
        data.push(0xE1);
        data.push(0x48);
        data.extend_from_slice(b"iso_code");
        data.push(0x40 | code.len() as u8);
        data.extend_from_slice(code.as_bytes());
        let bits: Vec<usize> = net
            .iter()
            .flat_map(|b| (0..8).rev().map(move |i| (b >> i & 1) as usize))
            .take(*len)
            .collect();
        let mut node = 0;
        for (i, bit) in bits.iter().enumerate() {
            if i + 1 == bits.len() {
                nodes[node][*bit] = Rec::Data(offset);
                break;
            }
            node = match nodes[node][*bit] {
                Rec::Node(n) => n,
                _ => {
                    nodes.push([Rec::Empty, Rec::Empty]);
                    let n = nodes.len() - 1;
                    nodes[node][*bit] = Rec::Node(n);
                    n
                }
            };
        }
    }
    let count = nodes.len();
    let mut out = Vec::new();
    for node in &nodes {
        for rec in node {
            let v = match rec {
                Rec::Empty => count,
                Rec::Node(n) => *n,
                Rec::Data(off) => count + 16 + off,
            } as u32;
            out.extend_from_slice(&v.to_be_bytes()[1..]);
        }
    }
    out.extend_from_slice(&[0; 16]);
    out.extend_from_slice(&data);
    out.extend_from_slice(b"\xAB\xCD\xEFMaxMind.com");
    out.push(0xE3);
    out.push(0x4A);
    out.extend_from_slice(b"node_count");
    out.push(0xC4);
    out.extend_from_slice(&(count as u32).to_be_bytes());
    out.push(0x4B);
    out.extend_from_slice(b"record_size");
    out.extend_from_slice(&[0xA2, 0, 24]);
    out.push(0x4A);
    out.extend_from_slice(b"ip_version");
    out.extend_from_slice(&[0xA2, 0, 4]);
    out
}
