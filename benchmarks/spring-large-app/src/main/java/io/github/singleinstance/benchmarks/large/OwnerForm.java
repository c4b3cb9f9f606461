package io.github.singleinstance.benchmarks.large;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** A new owner as the page's form posts it, validated before it is stored. */
public class OwnerForm {

    @NotBlank
    @Size(max = 40)
    private String firstName = "";

    @NotBlank
    @Size(max = 40)
    private String lastName = "";

    @NotBlank
    @Size(max = 40)
    private String city = "";

    @Pattern(regexp = "\\d{6,12}", message = "6 to 12 digits")
    private String telephone = "";

    Owner toOwner() {
        return new Owner(firstName.strip(), lastName.strip(), city.strip(), telephone);
    }

    public String getFirstName() {
        return firstName;
    }

    public void setFirstName(String firstName) {
        this.firstName = firstName;
    }

    public String getLastName() {
        return lastName;
    }

    public void setLastName(String lastName) {
        this.lastName = lastName;
    }

    public String getCity() {
        return city;
    }

    public void setCity(String city) {
        this.city = city;
    }

    public String getTelephone() {
        return telephone;
    }

    public void setTelephone(String telephone) {
        this.telephone = telephone;
    }
}
