import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class Main {
    public static void main(String[] args) {
        List<byte[]> keep = new ArrayList<>();
        for (;;) {
            byte[] b = new byte[1 << 20];
            Arrays.fill(b, (byte) 1);
            keep.add(b);
        }
    }
}
